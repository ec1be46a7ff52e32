import Testing
@testable import ConsoleCore

/// Whole screens compared as text, at 80×24 and 160×40, with CJK, emoji (ZWJ, VS16, flags), RTL and combining data.
///
/// A wide glyph occupies two cells in the buffer but one character in `text` (its right half is an empty
/// continuation cell), so lines holding CJK or emoji look shorter here than they are on a terminal.
@Suite struct ScreenSnapshotTests {
    static func check(_ driver: Driver, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = driver.screen().text
        SnapshotDump.write(actual, line: sourceLocation.line)
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            var report = ""
            for i in 0..<max(a.count, e.count) {
                let l = i < a.count ? String(a[i]) : "<none>", r = i < e.count ? String(e[i]) : "<none>"
                if l != r { report += "line \(i):\n  actual   |\(l)|\n  expected |\(r)|\n" }
            }
            Issue.record("screen differs:\n\(report)", sourceLocation: sourceLocation)
        }
    }

    @Test func users_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.users(w, h), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)         
Users                                                                           
ID Username Display name            Profiles Sessions  Memories Created         
 1 alice    Alice Zoë                      2       14     1,234 2024-01-05 09:15
 2 yamada   山田太郎                       1        3        56 2024-02-11 18:02
 3 party    🎉 Party 👩‍👩‍👧 ❤️ 🇯🇵              0        0         0 2024-03-01 07:15
 4 salma    سلمى الحربي                    1  120,000 1,000,000 —               
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
user #1                                                                         
⏎ open  j/k move  g/G top/end  / filter  ? help  v verify  m migrate  q quit    
"""#)
    }

    @Test func users_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.users(w, h), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                         
Users                                                                                                                                                           
ID Username Display name                             Profiles Sessions  Memories Created                                                                        
 1 alice    Alice Zoë                                       2       14     1,234 2024-01-05 09:15                                                               
 2 yamada   山田太郎                                        1        3        56 2024-02-11 18:02                                                               
 3 party    🎉 Party 👩‍👩‍👧 ❤️ 🇯🇵                               0        0         0 2024-03-01 07:15                                                               
 4 salma    سلمى الحربي                                     1  120,000 1,000,000 —                                                                              
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
user #1                                                                                                                                                         
⏎ open  j/k move  g/G top/end  / filter  ? help  v verify  m migrate  q quit                                                                                    
"""#)
    }

    @Test func profiles_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.user(w, h, tab: 0), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)         
Users › User alice                                                              
 1 Profiles │ 2 Sessions │ 3 Memories │ 4 Agent logs │ 5 Mem0 │                 
ID Name      Default Memories Description                       Created         
10 default   ✓          1,200 Everyday assistant                2024-01-05 09:16
11 仕事                    34 仕事のメモとプロジェクトの記録    2024-01-06 10:00
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
profile #10                                                                     
⏎ open  Tab section  j/k move  g/G top/end  / filter  ? help  v verify  q back  
"""#)
    }

    @Test func profiles_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.user(w, h, tab: 0), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                         
Users › User alice                                                                                                                                              
 1 Profiles │ 2 Sessions │ 3 Memories │ 4 Agent logs │ 5 Mem0 │                                                                                                 
ID Name                           Default Memories Description                                                                                  Created         
10 default                        ✓          1,200 Everyday assistant                                                                           2024-01-05 09:16
11 仕事                                         34 仕事のメモとプロジェクトの記録                                                               2024-01-06 10:00
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
profile #10                                                                                                                                                     
⏎ open  Tab section  j/k move  g/G top/end  / filter  ? help  v verify  m migrate  q back                                                                       
"""#)
    }

    @Test func sessions_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.user(w, h, tab: 1), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)         
Users › User alice                                                              
 1 Profiles │ 2 Sessions │ 3 Memories │ 4 Agent logs │ 5 Mem0 │                 
 ID Title                    Profile      Msgs Started          Ended           
100 Trip to 京都 ✈️          default         4 2024-03-01 09:00 2024-03-01 09:30
101 (untitled)               —               0 2024-03-02 11:00 open            
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
session #100                                                                    
⏎ open  Tab section  j/k move  g/G top/end  / filter  ? help  v verify  q back  
"""#)
    }

    @Test func sessions_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.user(w, h, tab: 1), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                         
Users › User alice                                                                                                                                              
 1 Profiles │ 2 Sessions │ 3 Memories │ 4 Agent logs │ 5 Mem0 │                                                                                                 
 ID Title                                                                                            Profile              Msgs Started          Ended           
100 Trip to 京都 ✈️                                                                                  default                 4 2024-03-01 09:00 2024-03-01 09:30
101 (untitled)                                                                                       —                       0 2024-03-02 11:00 open            
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
session #100                                                                                                                                                    
⏎ open  Tab section  j/k move  g/G top/end  / filter  ? help  v verify  m migrate  q back                                                                       
"""#)
    }

    @Test func memories_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.user(w, h, tab: 2), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)         
Users › User alice                                                              
 1 Profiles │ 2 Sessions │ 3 Memories │ 4 Agent logs │ 5 Mem0 │                 
 ID Profile Type       Content                       Tags       Created         
500 default preference Is vegetarian; loves 京都 in… food, diet 2024-03-01 09:00
501 —       fact       שלום — speaks Hebrew                     2024-03-02 09:00
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
memory #500                                                                     
⏎ open  d diff  Tab section  j/k move  g/G top/end  / filter  ? help  q back    
"""#)
    }

    @Test func memories_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.user(w, h, tab: 2), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                         
Users › User alice                                                                                                                                              
 1 Profiles │ 2 Sessions │ 3 Memories │ 4 Agent logs │ 5 Mem0 │                                                                                                 
 ID Profile Type       Content                                                                                         Tags                     Created         
500 default preference Is vegetarian; loves 京都 in spring 🌸                                                          food, diet               2024-03-01 09:00
501 —       fact       שלום — speaks Hebrew                                                                                                     2024-03-02 09:00
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
memory #500                                                                                                                                                     
⏎ open  d diff  Tab section  j/k move  g/G top/end  / filter  ? help  v verify  m migrate  q back                                                               
"""#)
    }

    @Test func memoriesMigrated_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.user(w, h, tab: 2, status: Fixture.migratedStatus), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)       
Users › User alice                                                              
 1 Profiles │ 2 Sessions │ 3 Memories │ 4 Agent logs │ 5 Mem0 │                 
 ID Profile Type       Mem0 id      Content              Tags   Created         
500 default preference 6f1c2a9e-0b… Is vegetarian; love… food,… 2024-03-01 09:00
502 default fact       ✗ not linked (content is in Mem0)        —               
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
memory #500                                                                     
⏎ open  d diff  Tab section  j/k move  g/G top/end  / filter  ? help  q back    
"""#)
    }

    @Test func memoriesMigrated_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.user(w, h, tab: 2, status: Fixture.migratedStatus), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                       
Users › User alice                                                                                                                                              
 1 Profiles │ 2 Sessions │ 3 Memories │ 4 Agent logs │ 5 Mem0 │                                                                                                 
 ID Profile Type       Mem0 id                              Content                                                         Tags                Created         
500 default preference 6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10 Is vegetarian; loves 京都 in spring 🌸                          food, diet          2024-03-01 09:00
502 default fact       ✗ not linked                         (content is in Mem0)                                                                —               
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
memory #500                                                                                                                                                     
⏎ open  d diff  Tab section  j/k move  g/G top/end  / filter  ? help  v verify  m migrate  q back                                                               
"""#)
    }

    @Test func logs_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.user(w, h, tab: 3), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)         
Users › User alice                                                              
 1 Profiles │ 2 Sessions │ 3 Memories │ 4 Agent logs │ 5 Mem0 │                 
ID Level Agent               Action                     Session Time            
 7 ERROR memory-agent        store_memory                  #100 2024-03-01 09:00
 8 INFO  router              route                            — 2024-03-01 09:00
 9 DEBUG router              noop                             — —               
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
log #7                                                                          
⏎ open  Tab section  j/k move  g/G top/end  / filter  ? help  v verify  q back  
"""#)
    }

    @Test func logs_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.user(w, h, tab: 3), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                         
Users › User alice                                                                                                                                              
 1 Profiles │ 2 Sessions │ 3 Memories │ 4 Agent logs │ 5 Mem0 │                                                                                                 
ID Level Agent                    Action                                                                                                Session Time            
 7 ERROR memory-agent             store_memory                                                                                             #100 2024-03-01 09:00
 8 INFO  router                   route                                                                                                       — 2024-03-01 09:00
 9 DEBUG router                   noop                                                                                                        — —               
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
log #7                                                                                                                                                          
⏎ open  Tab section  j/k move  g/G top/end  / filter  ? help  v verify  m migrate  q back                                                                       
"""#)
    }

    @Test func transcript_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.transcript(w, h), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)         
Users › User alice › Session #100 Trip to 京都 ✈️                               
▌user · 2024-03-01 09:00:05                                                     
  I'm planning a trip to 京都 next spring 🌸. Can you remember that I'm         
  vegetarian?                                                                   
                                                                                
▌assistant · 2024-03-01 09:00:09                                                
  Noted! I'll remember you're vegetarian. مرحبا بك — have a great trip 👩‍👩‍👧.      
                                                                                
▌system · —                                                                     
  (empty message)                                                               
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
3 messages loaded                                                               
j/k scroll  g/G top/end  a logs  ? help  q back                                 
"""#)
    }

    @Test func transcript_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.transcript(w, h), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                         
Users › User alice › Session #100 Trip to 京都 ✈️                                                                                                               
▌user · 2024-03-01 09:00:05                                                                                                                                     
  I'm planning a trip to 京都 next spring 🌸. Can you remember that I'm vegetarian?                                                                             
                                                                                                                                                                
▌assistant · 2024-03-01 09:00:09                                                                                                                                
  Noted! I'll remember you're vegetarian. مرحبا بك — have a great trip 👩‍👩‍👧.                                                                                      
                                                                                                                                                                
▌system · —                                                                                                                                                     
  (empty message)                                                                                                                                               
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
3 messages loaded                                                                                                                                               
j/k scroll  g/G top/end  a logs  ? help  q back                                                                                                                 
"""#)
    }

    @Test func logDetail_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.logDetail(w, h), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)         
Users › User alice › Log #7                                                     
level    ERROR                                                                  
agent    memory-agent                                                           
action   store_memory                                                           
session  #100                                                                   
time     2024-03-01 09:00:10                                                    
                                                                                
details (JSON, keys sorted):                                                    
{                                                                               
  "error" : "timeout",                                                          
  "note" : "京都 🌸",                                                           
  "path" : "/v1/memories/",                                                     
  "retry" : 3                                                                   
}                                                                               
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
j/k scroll  g/G top/end  ? help  q back                                         
"""#)
    }

    @Test func logDetail_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.logDetail(w, h), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                         
Users › User alice › Log #7                                                                                                                                     
level    ERROR                                                                                                                                                  
agent    memory-agent                                                                                                                                           
action   store_memory                                                                                                                                           
session  #100                                                                                                                                                   
time     2024-03-01 09:00:10                                                                                                                                    
                                                                                                                                                                
details (JSON, keys sorted):                                                                                                                                    
{                                                                                                                                                               
  "error" : "timeout",                                                                                                                                          
  "note" : "京都 🌸",                                                                                                                                           
  "path" : "/v1/memories/",                                                                                                                                     
  "retry" : 3                                                                                                                                                   
}                                                                                                                                                               
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
j/k scroll  g/G top/end  ? help  q back                                                                                                                         
"""#)
    }

    @Test func logDetailRaw_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.logDetail(w, h, row: 1), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)         
Users › User alice › Log #8                                                     
level    INFO                                                                   
agent    router                                                                 
action   route                                                                  
session  —                                                                      
time     2024-03-01 09:00:11                                                    
                                                                                
details (not valid JSON; shown as stored):                                      
not json {                                                                      
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
j/k scroll  g/G top/end  ? help  q back                                         
"""#)
    }

    @Test func logDetailRaw_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.logDetail(w, h, row: 1), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                         
Users › User alice › Log #8                                                                                                                                     
level    INFO                                                                                                                                                   
agent    router                                                                                                                                                 
action   route                                                                                                                                                  
session  —                                                                                                                                                      
time     2024-03-01 09:00:11                                                                                                                                    
                                                                                                                                                                
details (not valid JSON; shown as stored):                                                                                                                      
not json {                                                                                                                                                      
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
j/k scroll  g/G top/end  ? help  q back                                                                                                                         
"""#)
    }

    @Test func diff_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.diff(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)       
Users › User alice › Diff memory #500                                           
field            legacy #500 (memories_backup)  │ Mem0 6f1c2a9e-0b7d-4c43-9a51-…
text             Is vegetarian; loves 京都 in   │ Is vegetarian; loves 京都 in  
                 spring 🌸 and wants to see the │ spring 🌸 and wants to see the
                 cherry blossoms at 哲学の道    │ cherry blossoms at 哲学の道   
                 before they fall.              │ before they fall.             
memory_type      preference                     │ preference                    
tags             [food, diet]                   │ [food]                        
importance_score 0.8                            │ 0.8                           
mentioned_count  3                              │ ✗ MISSING IN MEM0             
profile_id       10                             │ 10                            
created_at       2024-03-01T09:00:12.000000+00: │ 2024-03-01T09:00:12.000000+00:
                 00                             │ 00                            
updated_at       2024-03-02T10:00:00.000000+00: │ 2024-03-02T10:00:00.000000+00:
                 00                             │ 00                            
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
✗ 2 fields differ                                                               
j/k scroll  g/G top/end  r refetch  ? help  q back                              
"""#)
    }

    @Test func diff_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.diff(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                       
Users › User alice › Diff memory #500                                                                                                                           
field            legacy #500 (memories_backup)                                          │ Mem0 6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10                             
text             Is vegetarian; loves 京都 in spring 🌸 and wants to see the cherry     │ Is vegetarian; loves 京都 in spring 🌸 and wants to see the cherry    
                 blossoms at 哲学の道 before they fall.                                 │ blossoms at 哲学の道 before they fall.                                
memory_type      preference                                                             │ preference                                                            
tags             [food, diet]                                                           │ [food]                                                                
importance_score 0.8                                                                    │ 0.8                                                                   
mentioned_count  3                                                                      │ ✗ MISSING IN MEM0                                                     
profile_id       10                                                                     │ 10                                                                    
created_at       2024-03-01T09:00:12.000000+00:00                                       │ 2024-03-01T09:00:12.000000+00:00                                      
updated_at       2024-03-02T10:00:00.000000+00:00                                       │ 2024-03-02T10:00:00.000000+00:00                                      
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
✗ 2 fields differ                                                                                                                                               
j/k scroll  g/G top/end  r refetch  ? help  q back                                                                                                              
"""#)
    }

    @Test func verification_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.verification(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)       
Users › Verification                                                            
legacy = linked + duplicates + rejected   ✓ holds                               
 1,290 =  1,234 +         40 +       16                                         
legacy     ████████████████████████████████████████████████████████       1,290 
accounted  ██████████████████████████████████████████████████████▓▓       1,290 
  Mem0 = linked   ✗ DOES NOT HOLD                                               
 1,233 =  1,234                                                                 
linked     ██████████████████████████████████████████████████████         1,234 
Mem0       ██████████████████████████████████████████████████████         1,233 
█ linked  ▓ duplicates  ▒ rejected   checked 1,234 links · ✗ 1 mismatch         
                                                                                
Mem0 user                       Legacy user Linked In Mem0 Checked Mismatched   
1                                         1  1,178   1,178   1,178          0 ✓ 
2                                         2     56      55      56          1 ✗ 
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
1 rejected  2 duplicates  3 mismatches  j/k move  r re-run  ? help  q back      
"""#)
    }

    @Test func verification_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.verification(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                       
Users › Verification                                                                                                                                            
legacy = linked + duplicates + rejected   ✓ holds                                                                                                               
 1,290 =  1,234 +         40 +       16                                                                                                                         
legacy     ████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████       1,290 
accounted  ██████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████▓▓▓▓▒▒       1,290 
  Mem0 = linked   ✗ DOES NOT HOLD                                                                                                                               
 1,233 =  1,234                                                                                                                                                 
linked     ██████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████             1,234 
Mem0       ██████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████             1,233 
█ linked  ▓ duplicates  ▒ rejected   checked 1,234 links · ✗ 1 mismatch                                                                                         
                                                                                                                                                                
Mem0 user                        Legacy user Linked In Mem0 Checked Mismatched                                                                                  
1                                          1  1,178   1,178   1,178          0 ✓                                                                                
2                                          2     56      55      56          1 ✗                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
1 rejected  2 duplicates  3 mismatches  j/k move  r re-run  ? help  q back                                                                                      
"""#)
    }

    @Test func verificationBalanced_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.verification(w, h, result: Fixture.balanced), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)       
Users › Verification                                                            
legacy = linked + duplicates + rejected   ✓ holds                               
   100 =     90 +          6 +        4                                         
legacy     ████████████████████████████████████████████████████████         100 
accounted  ██████████████████████████████████████████████████▓▓▓▒▒          100 
  Mem0 = linked   ✓ holds                                                       
    90 =     90                                                                 
linked     ██████████████████████████████████████████████████                90 
Mem0       ██████████████████████████████████████████████████                90 
█ linked  ▓ duplicates  ▒ rejected   checked 90 links · ✓ 0 mismatches          
                                                                                
Mem0 user                       Legacy user Linked In Mem0 Checked Mismatched   
1                                         1     90      90      90          0 ✓ 
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
1 rejected  2 duplicates  3 mismatches  j/k move  r re-run  ? help  q back      
"""#)
    }

    @Test func verificationBalanced_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.verification(w, h, result: Fixture.balanced), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                       
Users › Verification                                                                                                                                            
legacy = linked + duplicates + rejected   ✓ holds                                                                                                               
   100 =     90 +          6 +        4                                                                                                                         
legacy     ████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████         100 
accounted  ██████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████▓▓▓▓▓▓▓▓▒▒▒▒▒          100 
  Mem0 = linked   ✓ holds                                                                                                                                       
    90 =     90                                                                                                                                                 
linked     ██████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████                        90 
Mem0       ██████████████████████████████████████████████████████████████████████████████████████████████████████████████████████████                        90 
█ linked  ▓ duplicates  ▒ rejected   checked 90 links · ✓ 0 mismatches                                                                                          
                                                                                                                                                                
Mem0 user                        Legacy user Linked In Mem0 Checked Mismatched                                                                                  
1                                          1     90      90      90          0 ✓                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
1 rejected  2 duplicates  3 mismatches  j/k move  r re-run  ? help  q back                                                                                      
"""#)
    }

    @Test func wizard1_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.wizard(w, h, until: .preflight), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)         
Users › Migration wizard — step 1/7 Preflight                                   
▸ 1 Preflight      │ File                   /data/chat.db                       
  2 Plan (dry run) │ State                  legacy                              
  3 Options        │ Legacy memories        1,290                               
  4 Confirm        │ Mem0                   http://127.0.0.1:8765 (oss)         
  5 Run            │                                                            
  6 Verify         │ ✓ the file: legacy, 1290 memories to plan                  
  7 Done           │ ✓ file and folder writable: the file and /data can be      
                   │ written                                                    
                   │ ✓ free space for the backup: 5120 MiB free, about 3 MiB    
                   │ needed                                                     
                   │ ✓ no other writer: no other program holds the write lock   
                   │ ✓ Mem0 reachable: 127.0.0.1:8765, oss, 3 ms                
                   │ ✓ API key accepted: an authenticated call succeeded        
                   │                                                            
                   │ ✓ ready. Enter runs the dry run (nothing is written).      
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                                                                                
⏎ next  r re-check  ? help  q leave                                             
"""#)
    }

    @Test func wizard1_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.wizard(w, h, until: .preflight), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                         
Users › Migration wizard — step 1/7 Preflight                                                                                                                   
▸ 1 Preflight      │ File                   /data/chat.db                                                                                                       
  2 Plan (dry run) │ State                  legacy                                                                                                              
  3 Options        │ Legacy memories        1,290                                                                                                               
  4 Confirm        │ Mem0                   http://127.0.0.1:8765 (oss)                                                                                         
  5 Run            │                                                                                                                                            
  6 Verify         │ ✓ the file: legacy, 1290 memories to plan                                                                                                  
  7 Done           │ ✓ file and folder writable: the file and /data can be written                                                                              
                   │ ✓ free space for the backup: 5120 MiB free, about 3 MiB needed                                                                             
                   │ ✓ no other writer: no other program holds the write lock                                                                                   
                   │ ✓ Mem0 reachable: 127.0.0.1:8765, oss, 3 ms                                                                                                
                   │ ✓ API key accepted: an authenticated call succeeded                                                                                        
                   │                                                                                                                                            
                   │ ✓ ready. Enter runs the dry run (nothing is written).                                                                                      
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                                                                                                                                                                
⏎ next  r re-check  ? help  q leave                                                                                                                             
"""#)
    }

    @Test func wizard2_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.wizard(w, h, until: .plan), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)         
Users › Migration wizard — step 2/7 Plan (dry run)                              
✓ 1 Preflight      │ Legacy rows            1,290                               
▸ 2 Plan (dry run) │ To migrate             1,234                               
  3 Options        │ Duplicates             40 (recorded on their first copy)   
  4 Confirm        │ Rejected               16                                  
  5 Run            │   empty_content        12                                  
  6 Verify         │   orphan_user          4                                   
  7 Done           │ Orphan profile ids     2 (migrated, profile left NULL)     
                   │ Users                  2                                   
                   │ Estimate               ~15s at 85.2/s (measured ping)      
                   │                                                            
                   │ Enter: choose the options                                  
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                                                                                
⏎ next  r re-check  ? help  q leave                                             
"""#)
    }

    @Test func wizard2_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.wizard(w, h, until: .plan), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                         
Users › Migration wizard — step 2/7 Plan (dry run)                                                                                                              
✓ 1 Preflight      │ Legacy rows            1,290                                                                                                               
▸ 2 Plan (dry run) │ To migrate             1,234                                                                                                               
  3 Options        │ Duplicates             40 (recorded on their first copy)                                                                                   
  4 Confirm        │ Rejected               16                                                                                                                  
  5 Run            │   empty_content        12                                                                                                                  
  6 Verify         │   orphan_user          4                                                                                                                   
  7 Done           │ Orphan profile ids     2 (migrated, profile left NULL)                                                                                     
                   │ Users                  2                                                                                                                   
                   │ Estimate               ~15s at 85.2/s (measured ping)                                                                                      
                   │                                                                                                                                            
                   │ Enter: choose the options                                                                                                                  
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                                                                                                                                                                
⏎ next  r re-check  ? help  q leave                                                                                                                             
"""#)
    }

    @Test func wizard3_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.wizard(w, h, until: .options), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)         
Users › Migration wizard — step 3/7 Options                                     
✓ 1 Preflight      │ Options (Space toggles, +/- change, Enter confirms)        
✓ 2 Plan (dry run) │                                                            
▸ 3 Options        │ ▸ Write a backup copy of the file first                 yes
  4 Confirm        │   Keep the old table as memories_backup                 yes
  5 Run            │   Requests in flight                               adaptive
  6 Verify         │   Rate cap (requests/s)                                none
  7 Done           │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                                                                                
j/k move  Space toggle  +/- change  ⏎ next  ? help  q leave                     
"""#)
    }

    @Test func wizard3_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.wizard(w, h, until: .options), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                         
Users › Migration wizard — step 3/7 Options                                                                                                                     
✓ 1 Preflight      │ Options (Space toggles, +/- change, Enter confirms)                                                                                        
✓ 2 Plan (dry run) │                                                                                                                                            
▸ 3 Options        │ ▸ Write a backup copy of the file first                      yes                                                                           
  4 Confirm        │   Keep the old table as memories_backup                      yes                                                                           
  5 Run            │   Requests in flight                                    adaptive                                                                           
  6 Verify         │   Rate cap (requests/s)                                     none                                                                           
  7 Done           │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                                                                                                                                                                
j/k move  Space toggle  +/- change  ⏎ next  ? help  q leave                                                                                                     
"""#)
    }

    @Test func wizard4_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.wizard(w, h, until: .confirm), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)         
Users › Migration wizard — step 4/7 Confirm                                     
✓ 1 Preflight      │ Options (Space toggles, +/- change, Enter confirms)        
✓ 2 Plan (dry run) │                                                            
✓ 3 Options        │ ▸ Write a backup copy of the file first                 yes
▸ 4 Confirm        │   Keep the old table as memories_backup                 yes
  5 Run            │   Requests in flight                               adaptive
  6 Veri┌─ Start the migration? ───────────────────────────────────────┐    none
  7 Done│                                                              │        
        │ 1,234 memories will be sent to http://127.0.0.1:8765 (oss);  │        
        │ a backup copy is written first. The file changes schema only │        
        │ when every row is accounted for; an interrupted run can be   │        
        │ resumed.                                                     │        
        │                                                              │        
        │                   [ Cancel ]  [ Migrate ]                    │        
        └──────────────────────────────────────────────────────────────┘        
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                                                                                
Tab switch  ⏎ choose  y migrate  n cancel                                       
"""#)
    }

    @Test func wizard4_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.wizard(w, h, until: .confirm), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                         
Users › Migration wizard — step 4/7 Confirm                                                                                                                     
✓ 1 Preflight      │ Options (Space toggles, +/- change, Enter confirms)                                                                                        
✓ 2 Plan (dry run) │                                                                                                                                            
✓ 3 Options        │ ▸ Write a backup copy of the file first                      yes                                                                           
▸ 4 Confirm        │   Keep the old table as memories_backup                      yes                                                                           
  5 Run            │   Requests in flight                                    adaptive                                                                           
  6 Verify         │   Rate cap (requests/s)                                     none                                                                           
  7 Done           │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                            ┌─ Start the migration? ───────────────────────────────────────┐                                                
                   │                            │                                                              │                                                
                   │                            │ 1,234 memories will be sent to http://127.0.0.1:8765 (oss);  │                                                
                   │                            │ a backup copy is written first. The file changes schema only │                                                
                   │                            │ when every row is accounted for; an interrupted run can be   │                                                
                   │                            │ resumed.                                                     │                                                
                   │                            │                                                              │                                                
                   │                            │                   [ Cancel ]  [ Migrate ]                    │                                                
                   │                            └──────────────────────────────────────────────────────────────┘                                                
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                                                                                                                                                                
Tab switch  ⏎ choose  y migrate  n cancel                                                                                                                       
"""#)
    }

    @Test func wizard5_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.wizard(w, h, until: .run), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)       ⠋ 
Users › Migration wizard — step 5/7 Run                                         
✓ 1 Preflight      │ [░░░░░░░░░░░░░░░░░░░░░░░░░░] 6/1,290  0.5%  85.2/s  ETA 15s
✓ 2 Plan (dry run) │                                                            
✓ 3 Options        │ In flight              8 of 8                              
✓ 4 Confirm        │ Linked                 5                                   
▸ 5 Run            │ Duplicates             0                                   
  6 Verify         │ Rejected               1                                   
  7 Done           │ Retries                1                                   
                   │ 429 rate limited       1                                   
                   │ Last rejected          #42 content is empty or only whites…
                   │                                                            
                   │ x cancels the run (it stops cleanly and can be resumed)    
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                                                                                
x cancel run  ? help                                                            
"""#)
    }

    @Test func wizard5_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.wizard(w, h, until: .run), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                       ⠋ 
Users › Migration wizard — step 5/7 Run                                                                                                                         
✓ 1 Preflight      │ [▍░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░] 6/1,290  0.5%  85.2/s  ETA 15s
✓ 2 Plan (dry run) │                                                                                                                                            
✓ 3 Options        │ In flight              8 of 8                                                                                                              
✓ 4 Confirm        │ Linked                 5                                                                                                                   
▸ 5 Run            │ Duplicates             0                                                                                                                   
  6 Verify         │ Rejected               1                                                                                                                   
  7 Done           │ Retries                1                                                                                                                   
                   │ 429 rate limited       1                                                                                                                   
                   │ Last rejected          #42 content is empty or only whitespace                                                                             
                   │                                                                                                                                            
                   │ x cancels the run (it stops cleanly and can be resumed)                                                                                    
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                                                                                                                                                                
x cancel run  ? help                                                                                                                                            
"""#)
    }

    @Test func wizard6_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.wizard(w, h, until: .verify), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)         
Users › Migration wizard — step 6/7 Verify                                      
✓ 1 Preflight      │ legacy = linked + duplicates + rejected   ✓ holds          
✓ 2 Plan (dry run) │  1,290 =  1,234 +         40 +       16                    
✓ 3 Options        │ legacy     ███████████████████████████████████       1,290 
✓ 4 Confirm        │ accounted  █████████████████████████████████▓        1,290 
✓ 5 Run            │   Mem0 = linked   ✗ DOES NOT HOLD                          
▸ 6 Verify         │  1,233 =  1,234                                            
  7 Done           │ linked     █████████████████████████████████         1,234 
                   │ Mem0       █████████████████████████████████         1,233 
                   │ █ linked  ▓ duplicates  ▒ rejected                         
                   │ checked 1,234 links · ✗ 1 mismatch                         
                   │                                                            
                   │                                                            
                   │ Enter: finish                                              
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                                                                                
⏎ next  r re-check  ? help  q leave                                             
"""#)
    }

    @Test func wizard6_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.wizard(w, h, until: .verify), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                         
Users › Migration wizard — step 6/7 Verify                                                                                                                      
✓ 1 Preflight      │ legacy = linked + duplicates + rejected   ✓ holds                                                                                          
✓ 2 Plan (dry run) │  1,290 =  1,234 +         40 +       16                                                                                                    
✓ 3 Options        │ legacy     ███████████████████████████████████████████████████████████████████████████████████████████████████████████████████       1,290 
✓ 4 Confirm        │ accounted  ██████████████████████████████████████████████████████████████████████████████████████████████████████████████▓▓▓▓▒       1,290 
✓ 5 Run            │   Mem0 = linked   ✗ DOES NOT HOLD                                                                                                          
▸ 6 Verify         │  1,233 =  1,234                                                                                                                            
  7 Done           │ linked     ██████████████████████████████████████████████████████████████████████████████████████████████████████████████            1,234 
                   │ Mem0       ██████████████████████████████████████████████████████████████████████████████████████████████████████████████            1,233 
                   │ █ linked  ▓ duplicates  ▒ rejected   checked 1,234 links · ✗ 1 mismatch                                                                    
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │ Enter: finish                                                                                                                              
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                                                                                                                                                                
⏎ next  r re-check  ? help  q leave                                                                                                                             
"""#)
    }

    @Test func wizard7_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.wizard(w, h, until: .done), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)         
Users › Migration wizard — step 7/7 Done                                        
✓ 1 Preflight      │ ✗ Migration finished but verification found problems: press
✓ 2 Plan (dry run) │ v to see them.                                             
✓ 3 Options        │                                                            
✓ 4 Confirm        │ Linked                 1,234                               
✓ 5 Run            │ Duplicates             40                                  
✓ 6 Verify         │ Rejected               16                                  
▸ 7 Done           │ memories_backup        kept                                
                   │ Backup file            /data/chat.db.backup-20240301       
                   │                                                            
                   │ v opens verification · q closes the wizard                 
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                   │                                                            
                                                                                
v verify  ? help  q close                                                       
"""#)
    }

    @Test func wizard7_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.wizard(w, h, until: .done), #"""
 memconsole /data/chat.db  legacy  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                         
Users › Migration wizard — step 7/7 Done                                                                                                                        
✓ 1 Preflight      │ ✗ Migration finished but verification found problems: press v to see them.                                                                 
✓ 2 Plan (dry run) │                                                                                                                                            
✓ 3 Options        │ Linked                 1,234                                                                                                               
✓ 4 Confirm        │ Duplicates             40                                                                                                                  
✓ 5 Run            │ Rejected               16                                                                                                                  
✓ 6 Verify         │ memories_backup        kept                                                                                                                
▸ 7 Done           │ Backup file            /data/chat.db.backup-20240301                                                                                       
                   │                                                                                                                                            
                   │ v opens verification · q closes the wizard                                                                                                 
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                   │                                                                                                                                            
                                                                                                                                                                
v verify  ? help  q close                                                                                                                                       
"""#)
    }

    @Test func audit_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.audit(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)       
Users › Drift audit                                                             
metadata rows = linked-and-matching + dangling + disagreeing   ✓ holds          
          395 =                 386 +        7 +           2                    
Mem0 memories = linked + unlinked   ✓ holds                                     
          393 =    388 +        5                                               
✗ drift: 7 dangling · 5 unlinked · 2 disagreeing  (20 users)                    
note: 1 memory the app added during the audit is linked by now                  
  Kind        Metadata Mem0 id                   User Detail                    
  dangling         #12 0d5f7c1e-9a2b-4c3d-8e4f-…    3 Mem0 has no memory with t…
  unlinked           — 7b3e9f20-4a1c-4d2e-9f3a-…    2 行きたい場所: 京都 🌸 in …
  disagreeing     #201 c4a8e2f6-1b3d-4f5a-8c9e-…    1 memory_type: row fact, Me…
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
────────────────────────────────────────────────────────────────────────────────
Mem0 0d5f7c1e-9a2b-4c3d-8e4f-5a6b7c8d9e01 · chatapp-3 · metadata row 12         
Mem0 has no memory with this id                                                 
finding 1 of 3                                                                  
Space select  R repair  y yank id  j/k move  r re-run  ? help  q back           
"""#)
    }

    @Test func audit_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.audit(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                       
Users › Drift audit                                                                                                                                             
metadata rows = linked-and-matching + dangling + disagreeing   ✓ holds                                                                                          
          395 =                 386 +        7 +           2                                                                                                    
Mem0 memories = linked + unlinked   ✓ holds                                                                                                                     
          393 =    388 +        5                                                                                                                               
✗ drift: 7 dangling · 5 unlinked · 2 disagreeing  (20 users)                                                                                                    
note: 1 memory the app added during the audit is linked by now                                                                                                  
  Kind        Metadata Mem0 id                              User Detail                                                                                         
  dangling         #12 0d5f7c1e-9a2b-4c3d-8e4f-5a6b7c8d9e01    3 Mem0 has no memory with this id                                                                
  unlinked           — 7b3e9f20-4a1c-4d2e-9f3a-1b2c3d4e5f60    2 行きたい場所: 京都 🌸 in April                                                                 
  disagreeing     #201 c4a8e2f6-1b3d-4f5a-8c9e-0d1e2f3a4b5c    1 memory_type: row fact, Mem0 preference                                                         
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
Mem0 0d5f7c1e-9a2b-4c3d-8e4f-5a6b7c8d9e01 · chatapp-3 · metadata row 12                                                                                         
Mem0 has no memory with this id                                                                                                                                 
finding 1 of 3                                                                                                                                                  
Space select  R repair  y yank id  j/k move  r re-run  ? help  q back                                                                                           
"""#)
    }

    @Test func auditClean_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.audit(w, h, result: Fixture.cleanAudit), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)       
Users › Drift audit                                                             
metadata rows = linked-and-matching + dangling + disagreeing   ✓ holds          
           60 =                  60 +        0 +           0                    
Mem0 memories = linked + unlinked   ✓ holds                                     
           60 =     60 +        0                                               
✓ clean: every row has its memory and every memory its row  (5 users)           
                                                                                
  Kind        Metadata Mem0 id              User Detail                         
 ✓ no findings                                                                  
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
Space select  R repair  y yank id  j/k move  r re-run  ? help  q back           
"""#)
    }

    @Test func auditClean_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.audit(w, h, result: Fixture.cleanAudit), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                       
Users › Drift audit                                                                                                                                             
metadata rows = linked-and-matching + dangling + disagreeing   ✓ holds                                                                                          
           60 =                  60 +        0 +           0                                                                                                    
Mem0 memories = linked + unlinked   ✓ holds                                                                                                                     
           60 =     60 +        0                                                                                                                               
✓ clean: every row has its memory and every memory its row  (5 users)                                                                                           
                                                                                                                                                                
  Kind        Metadata Mem0 id                              User Detail                                                                                         
 ✓ no findings                                                                                                                                                  
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
Space select  R repair  y yank id  j/k move  r re-run  ? help  q back                                                                                           
"""#)
    }

    @Test func repairReview_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.repairReview(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)       
Users › Drift audit                                                             
Repair 3 finding(s): 3 change(s)                                                
d disagreeing: Mem0 → row · X unlinked memories: adopt (new metadata rows)      
• delete metadata row 12 (user 3): Mem0 has no memory                           
  0d5f7c1e-9a2b-4c3d-8e4f-5a6b7c8d9e01                                          
• adopt Mem0 memory 7b3e9f20-4a1c-4d2e-9f3a-1b2c3d4e5f60 of chatapp-2: new      
  metadata row for user 2, profile null, type preference, tags ["旅行"]         
• sync metadata row 201 / c4a8e2f6-1b3d-4f5a-8c9e-0d1e2f3a4b5c (Mem0 → row):    
  memory_type fact → preference                                                 
                                                                                
                                                                                
                                                                                
                                                                                
        ┌─ Repair? ────────────────────────────────────────────────────┐        
        │                                                              │        
        │ Apply 3 change(s) to /data/chat.db? Each is journaled        │        
        │ (memconsole repair --undo RUN).                              │        
        │                                                              │        
        │                    [ Cancel ]  [ Repair ]                    │        
        └──────────────────────────────────────────────────────────────┘        
                                                                                
                                                                                
Tab switch  ⏎ choose  y repair  d direction  ? help  n cancel                   
"""#)
    }

    @Test func repairReview_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.repairReview(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                       
Users › Drift audit                                                                                                                                             
Repair 3 finding(s): 3 change(s)                                                                                                                                
d disagreeing: Mem0 → row · X unlinked memories: adopt (new metadata rows)                                                                                      
• delete metadata row 12 (user 3): Mem0 has no memory 0d5f7c1e-9a2b-4c3d-8e4f-5a6b7c8d9e01                                                                      
• adopt Mem0 memory 7b3e9f20-4a1c-4d2e-9f3a-1b2c3d4e5f60 of chatapp-2: new metadata row for user 2, profile null, type preference, tags ["旅行"]                
• sync metadata row 201 / c4a8e2f6-1b3d-4f5a-8c9e-0d1e2f3a4b5c (Mem0 → row): memory_type fact → preference                                                      
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                ┌─ Repair? ────────────────────────────────────────────────────┐                                                
                                                │                                                              │                                                
                                                │ Apply 3 change(s) to /data/chat.db? Each is journaled        │                                                
                                                │ (memconsole repair --undo RUN).                              │                                                
                                                │                                                              │                                                
                                                │                    [ Cancel ]  [ Repair ]                    │                                                
                                                └──────────────────────────────────────────────────────────────┘                                                
                                                                                                                                                                
                                                                                                                                                                
Tab switch  ⏎ choose  y repair  d direction  ? help  n cancel                                                                                                   
"""#)
    }

    @Test func mem0_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.mem0(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)       
Users › User alice                                                              
 1 Profiles │ 2 Sessions │ 3 Memories │ 4 Agent logs │ 5 Mem0 │                 
Mem0 id    Text             Row      Legacy Metadata Created          Updated   
6f1c2a9e-… Is vegetarian; … #500       #500 {"legac… 2024-03-01 09:00 2024-03-0…
9a8b7c6d-… שלום — prefers … #2001         — {"legac… 2024-05-01 08:00 —         
7b3e9f20-… 行きたい場所: …  ✗ no row      — {}       2024-05-02 08:00 2024-05-0…
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
Mem0 memory 1 of 3 · 6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10                       
⏎ open  s search  o rows  y yank id  Tab section  j/k move  ? help  q back      
"""#)
    }

    @Test func mem0_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.mem0(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                       
Users › User alice                                                                                                                                              
 1 Profiles │ 2 Sessions │ 3 Memories │ 4 Agent logs │ 5 Mem0 │                                                                                                 
Mem0 id                              Text                                 Row      Legacy Metadata                             Created          Updated         
6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10 Is vegetarian; loves 京都 in spring… #500       #500 {"legacy_memory_type":"preference",… 2024-03-01 09:00 2024-03-02 10:00
9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d שלום — prefers morning meetings      #2001         — {"legacy_memory_type":"fact","legac… 2024-05-01 08:00 —               
7b3e9f20-4a1c-4d2e-9f3a-1b2c3d4e5f60 行きたい場所: 京都 🌸 in April       ✗ no row      — {}                                   2024-05-02 08:00 2024-05-02 08:00
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
Mem0 memory 1 of 3 · 6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10                                                                                                       
⏎ open  s search  o rows  y yank id  Tab section  j/k move  g/G top/end  ? help  v verify  m migrate  q back                                                    
"""#)
    }

    @Test func mem0AtTheOSSCap_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.mem0(w, h, page: Mem0MemoriesPage(mem0UserID: "chatapp-1", rows: Fixture.mem0Rows, nextPage: nil, totalCount: nil, reachedServerCap: true)), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)       
Users › User alice                                                              
 1 Profiles │ 2 Sessions │ 3 Memories │ 4 Agent logs │ 5 Mem0 │                 
note: OSS lists at most 1,000 memories per user; chatapp-1 may hold more than a…
Mem0 id    Text             Row      Legacy Metadata Created          Updated   
6f1c2a9e-… Is vegetarian; … #500       #500 {"legac… 2024-03-01 09:00 2024-03-0…
9a8b7c6d-… שלום — prefers … #2001         — {"legac… 2024-05-01 08:00 —         
7b3e9f20-… 行きたい場所: …  ✗ no row      — {}       2024-05-02 08:00 2024-05-0…
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
Mem0 memory 1 of 3 · OSS cap: 1,000 shown · 6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10
⏎ open  s search  o rows  y yank id  Tab section  j/k move  ? help  q back      
"""#)
    }

    @Test func mem0AtTheOSSCap_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.mem0(w, h, page: Mem0MemoriesPage(mem0UserID: "chatapp-1", rows: Fixture.mem0Rows, nextPage: nil, totalCount: nil, reachedServerCap: true)), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                       
Users › User alice                                                                                                                                              
 1 Profiles │ 2 Sessions │ 3 Memories │ 4 Agent logs │ 5 Mem0 │                                                                                                 
note: OSS lists at most 1,000 memories per user; chatapp-1 may hold more than are shown                                                                         
Mem0 id                              Text                                 Row      Legacy Metadata                             Created          Updated         
6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10 Is vegetarian; loves 京都 in spring… #500       #500 {"legacy_memory_type":"preference",… 2024-03-01 09:00 2024-03-02 10:00
9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d שלום — prefers morning meetings      #2001         — {"legacy_memory_type":"fact","legac… 2024-05-01 08:00 —               
7b3e9f20-4a1c-4d2e-9f3a-1b2c3d4e5f60 行きたい場所: 京都 🌸 in April       ✗ no row      — {}                                   2024-05-02 08:00 2024-05-02 08:00
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
Mem0 memory 1 of 3 · OSS cap: 1,000 shown · 6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10                                                                                
⏎ open  s search  o rows  y yank id  Tab section  j/k move  g/G top/end  ? help  v verify  m migrate  q back                                                    
"""#)
    }

    @Test func mem0Search_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.mem0Search(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)       
Users › User alice › Search “京都”                                              
Score Mem0 id    Text             Row      Legacy Metadata Created          Upd…
0.912 6f1c2a9e-… Is vegetarian; … #500       #500 {"legac… 2024-03-01 09:00 202…
0.407 9a8b7c6d-… שלום — prefers … #2001         — {"legac… 2024-05-01 08:00 —   
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
result 1 of 2, best first · 6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10                
⏎ history  o rows  y yank id  j/k move  g/G top/end  / search  ? help  q back   
"""#)
    }

    @Test func mem0Search_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.mem0Search(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                       
Users › User alice › Search “京都”                                                                                                                              
Score Mem0 id                            Text                               Row      Legacy Metadata                           Created          Updated         
0.912 6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7… Is vegetarian; loves 京都 in spri… #500       #500 {"legacy_memory_type":"preference… 2024-03-01 09:00 2024-03-02 10:00
0.407 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7… שלום — prefers morning meetings    #2001         — {"legacy_memory_type":"fact","leg… 2024-05-01 08:00 —               
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
result 1 of 2, best first · 6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10                                                                                                
⏎ history  o rows  y yank id  j/k move  g/G top/end  / search  ? help  q back                                                                                   
"""#)
    }

    @Test func mem0History_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.mem0History(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)       
Users › User alice › History 6f1c2a9e…                                          
 Mem0 6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10                                      
 Is vegetarian; loves 京都 in spring 🌸                                         
 metadata row #500 · legacy row #500 · created 2024-03-01 09:00:12 · updated    
 2024-03-02 10:00:00                                                            
                                                                                
 2024-03-01T09:00:12Z  ADD                                                      
   new: Is vegetarian                                                           
 2024-03-02T10:00:00Z  UPDATE                                                   
   old: Is vegetarian                                                           
   new: Is vegetarian; loves 京都 in spring 🌸                                  
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
o rows  y yank id  j/k scroll  g/G top/end  ? help  q back                      
"""#)
    }

    @Test func mem0History_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.mem0History(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                       
Users › User alice › History 6f1c2a9e…                                                                                                                          
 Mem0 6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10                                                                                                                      
 Is vegetarian; loves 京都 in spring 🌸                                                                                                                         
 metadata row #500 · legacy row #500 · created 2024-03-01 09:00:12 · updated 2024-03-02 10:00:00                                                                
                                                                                                                                                                
 2024-03-01T09:00:12Z  ADD                                                                                                                                      
   new: Is vegetarian                                                                                                                                           
 2024-03-02T10:00:00Z  UPDATE                                                                                                                                   
   old: Is vegetarian                                                                                                                                           
   new: Is vegetarian; loves 京都 in spring 🌸                                                                                                                  
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
o rows  y yank id  j/k scroll  g/G top/end  ? help  q back                                                                                                      
"""#)
    }

    @Test func memoryRows_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.memoryRows(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)       
Users › User alice › Rows of 6f1c2a9e…                                          
 Mem0 memory 6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10                               
 Is vegetarian; loves 京都 in spring 🌸                                         
 metadata: {"legacy_memory_type":"preference","legacy_tags":["food","diet"]}    
                                                                                
 metadata row: memories_metadata #500, as stored                                
 id                 integer  500                                                
 user_id            integer  1                                                  
 memory_profile_id  integer  10                                                 
 mem0_memory_id     text     6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10               
 memory_type        text     preference                                         
 tags               text     ["food","diet"]                                    
 created_at         text     2024-03-01 09:00:12                                
 updated_at         null     NULL                                               
                                                                                
 legacy row: memories_backup #500, as stored                                    
 id                integer  500                                                 
 content           text     Is vegetarian; loves 京都 in spring 🌸              
 tags              text     food, diet                                          
 importance_score  real     0.8                                                 
 created_at        text     03/01/2024 09:00                                    
                                                                                
y yank id  j/k scroll  g/G top/end  ? help  q back                              
"""#)
    }

    @Test func memoryRows_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.memoryRows(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                       
Users › User alice › Rows of 6f1c2a9e…                                                                                                                          
 Mem0 memory 6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10                                                                                                               
 Is vegetarian; loves 京都 in spring 🌸                                                                                                                         
 metadata: {"legacy_memory_type":"preference","legacy_tags":["food","diet"]}                                                                                    
                                                                                                                                                                
 metadata row: memories_metadata #500, as stored                                                                                                                
 id                 integer  500                                                                                                                                
 user_id            integer  1                                                                                                                                  
 memory_profile_id  integer  10                                                                                                                                 
 mem0_memory_id     text     6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10                                                                                               
 memory_type        text     preference                                                                                                                         
 tags               text     ["food","diet"]                                                                                                                    
 created_at         text     2024-03-01 09:00:12                                                                                                                
 updated_at         null     NULL                                                                                                                               
                                                                                                                                                                
 legacy row: memories_backup #500, as stored                                                                                                                    
 id                integer  500                                                                                                                                 
 content           text     Is vegetarian; loves 京都 in spring 🌸                                                                                              
 tags              text     food, diet                                                                                                                          
 importance_score  real     0.8                                                                                                                                 
 created_at        text     03/01/2024 09:00                                                                                                                    
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
y yank id  j/k scroll  g/G top/end  ? help  q back                                                                                                              
"""#)
    }

    @Test func metadataRows_80x24() {
        let (w, h) = (80, 24)
        Self.check(Scenario.metadataRows(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)       
Users › memories_metadata                                                       
    ID User Profile Type       Mem0 id      Tags     Created          Updated   
   500    1      10 preference 6f1c2a9e-0b… food, d… 2024-03-01 09:00 —         
  2001    1       — fact       9a8b7c6d-5e… 旅行, 🌸 2024-05-01 08:00 2024-05-0…
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
                                                                                
metadata row #500 · more below                                                  
⏎/d diff  y yank id  j/k move  g/G top/end  / filter  ? help  q back            
"""#)
    }

    @Test func metadataRows_160x40() {
        let (w, h) = (160, 40)
        Self.check(Scenario.metadataRows(w, h), #"""
 memconsole /data/chat.db  migrated  ro  Mem0 http://127.0.0.1:8765 (oss)                                                                                       
Users › memories_metadata                                                                                                                                       
    ID User Profile Type       Mem0 id                              Tags                           Created          Updated                                     
   500    1      10 preference 6f1c2a9e-0b7d-4c43-9a51-3f0e8d2c7b10 food, diet                     2024-03-01 09:00 —                                           
  2001    1       — fact       9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d 旅行, 🌸                       2024-05-01 08:00 2024-05-02 08:00                            
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
                                                                                                                                                                
metadata row #500 · more below                                                                                                                                  
⏎/d diff  y yank id  j/k move  g/G top/end  / filter  ? help  q back                                                                                            
"""#)
    }
}
